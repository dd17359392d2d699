import VigilCLI

// All logic lives in VigilCLI; this only hands over the arguments.
await VigilMain.run()
