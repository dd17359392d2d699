/// A field reference resolved against the registry: what to extract and its argument.
final class FieldRef: Sendable {
    let id: FieldID
    let name: String
    let arg: String?
    /// Numeric argument (`proc.aname[2]`), -1 when absent.
    let index: Int

    /// `evt.arg[name]` / `evt.arg.name` resolved once (nil for other fields).
    let eventArg: EventArg?

    init(id: FieldID, name: String, arg: String?, index: Int) {
        self.id = id
        self.name = name
        self.arg = arg
        self.index = index
        eventArg = id == .evtArg ? EventArg(name: arg ?? "") : nil
    }
}
