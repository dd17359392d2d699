import VigilCLI
try Debug.run(CommandLine.arguments[1])
