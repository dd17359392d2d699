/// A Maven artifact version, ordered as Maven 3.8's `ComparableVersion` orders it.
///
/// Maven accepts every string as a version, so this type never rejects one. The string is
/// lower-cased and split into items at `.`, at `-` (which opens a sub-list) and at every
/// transition between digits and letters (`1.0alpha1` → `1, 0, [alpha, [1]]`); a letter item
/// after a `.` is treated as if `-` preceded it. Items compare as:
/// - numbers by value (any length), and a number is newer than a qualifier or a sub-list
///   (`1.1 > 1-sp`, `1.1 > 1-1`);
/// - qualifiers `alpha` < `beta` < `milestone` < `rc` = `cr` < `snapshot` < `""` = `ga` =
///   `final` = `release` < `sp`, then unknown qualifiers in lexical order after all of them;
///   `a1`, `b1`, `m1` (a single letter followed by a digit) mean alpha, beta, milestone;
/// - a missing item is `0`, `""` or an empty list, so trailing zeros and `ga` vanish
///   (`1.0.0 = 1 = 1-ga`) while `1-rc < 1 < 1-sp`.
///
/// `==` and `hashValue` follow the order (two versions are equal when neither is newer), which
/// is what `compareTo` says. One departure from Maven keeps the order transitive where Maven's
/// is not: a list that starts with a sub-list is spliced into its parent (see `regular`).
public struct MavenVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// One parsed item.
    indirect enum Item: Hashable, Sendable {
        case number(PEP440Version.Number)
        /// A qualifier after aliasing (`ga`, `final`, `release` → `""`; `cr` → `rc`).
        case qualifier(String)
        case list([Item])
    }

    let items: [Item]
    private let text: String

    /// Parses `string`; Maven gives every string an order, so this cannot fail.
    public init(_ string: String) {
        text = string
        items = Self.regular(Self.parse(string))
    }

    /// The version as written.
    public var description: String { text }

    public static func < (lhs: MavenVersion, rhs: MavenVersion) -> Bool { compareLists(lhs.items, rhs.items) < 0 }
    public static func == (lhs: MavenVersion, rhs: MavenVersion) -> Bool { compareLists(lhs.items, rhs.items) == 0 }
    public func hash(into hasher: inout Hasher) { hasher.combine(items) }

    /// Total order over every string; all strings are Maven versions.
    static func compare(_ a: String, _ b: String) -> Int {
        compareLists(regular(parse(a)), regular(parse(b)))
    }

    // MARK: - Keeping the order transitive

    /// Maven's own order is not transitive when a list *starts* with a sub-list, which happens
    /// when normalisation drops leading zeros or `ga` in front of one: Maven 3.8 has
    /// `1-0-SNAPSHOT < 1 < 1-a < 1-0-SNAPSHOT` (items `1,[[snapshot]]`, `1`, `1,[a]`: a list
    /// beats a qualifier by type, yet `[snapshot]` is below "nothing" and `a` above it). Such
    /// a leading sub-list is spliced into its parent (`1-0-SNAPSHOT` orders as `1-SNAPSHOT`),
    /// so every list starts with a number or a qualifier; on those Maven's rules are
    /// consistent. Strings this changes (`isIrregular`) are the only ones where Vigil and
    /// Maven may disagree; scripts/versions-crosscheck.py counts them.
    static func regular(_ items: [Item]) -> [Item] {
        var items = items
        while case .list(let inner)? = items.first {
            items = inner + items.dropFirst()
        }
        return items.map { item in
            if case .list(let inner) = item { return .list(regular(inner)) }
            return item
        }
    }

    /// Whether some list of `string`'s items starts with a sub-list (where Maven's own order
    /// stops being transitive and Vigil's departs from it).
    static func isIrregular(_ string: String) -> Bool {
        func irregular(_ items: [Item]) -> Bool {
            if case .list? = items.first { return true }
            return items.contains { if case .list(let inner) = $0 { irregular(inner) } else { false } }
        }
        return irregular(parse(string))
    }

    // MARK: - Comparing

    /// `QUALIFIERS` in `ComparableVersion.StringItem`.
    static let qualifiers = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"]

    /// `comparableQualifier`: the index of a known qualifier, else `"7-" + qualifier`, as
    /// UTF-16 code units because Java compares strings by them.
    static func comparable(_ qualifier: String) -> [UInt16] {
        if let index = qualifiers.firstIndex(of: qualifier) { return Array(String(index).utf16) }
        return Array("\(qualifiers.count)-\(qualifier)".utf16)
    }

    static let releaseIndex = Array("5".utf16)

    static func javaCompare(_ a: [UInt16], _ b: [UInt16]) -> Int {
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return ByteComparison.sign(a.count - b.count)
    }

    /// `Item.compareTo`, `nil` standing for a missing item.
    static func compare(_ a: Item, _ b: Item?) -> Int {
        switch a {
        case .number(let x):
            switch b {
            case nil: return x.isZero ? 0 : 1
            case .number(let y)?: return x < y ? -1 : (y < x ? 1 : 0)
            case .qualifier?, .list?: return 1
            }
        case .qualifier(let q):
            switch b {
            case nil: return javaCompare(comparable(q), releaseIndex)
            case .number?, .list?: return -1
            case .qualifier(let r)?: return javaCompare(comparable(q), comparable(r))
            }
        case .list(let items):
            switch b {
            case nil:
                for item in items {
                    let c = compare(item, nil)
                    if c != 0 { return c }
                }
                return 0
            case .number?: return -1
            case .qualifier?: return 1
            case .list(let other)?: return compareLists(items, other)
            }
        }
    }

    static func compareLists(_ a: [Item], _ b: [Item]) -> Int {
        for index in 0..<max(a.count, b.count) {
            let result: Int
            if index < a.count {
                result = compare(a[index], index < b.count ? b[index] : nil)
            } else {
                result = -compare(b[index], nil)
            }
            if result != 0 { return result }
        }
        return 0
    }

    static func isNull(_ item: Item) -> Bool {
        switch item {
        case .number(let n): n.isZero
        case .qualifier(let q): q.isEmpty
        case .list(let items): items.isEmpty
        }
    }

    // MARK: - Parsing

    /// A list under construction; lists nest, so they are reference types until `freeze`.
    final class Node {
        enum Child {
            case item(Item)
            case node(Node)
        }

        var children: [Child] = []

        /// Adds a new sub-list and returns it (`list.add(list = new ListItem())`).
        func open() -> Node {
            let node = Node()
            children.append(.node(node))
            return node
        }

        /// The normalised item list: children first, then trailing null items dropped, skipping
        /// over non-null sub-lists (`ListItem.normalize`).
        func freeze() -> [Item] {
            var items = children.map { child -> Item in
                switch child {
                case .item(let item): item
                case .node(let node): .list(node.freeze())
                }
            }
            var index = items.count - 1
            while index >= 0 {
                if MavenVersion.isNull(items[index]) {
                    items.remove(at: index)
                } else if case .list = items[index] {
                    // keep scanning past a non-null sub-list
                } else {
                    break
                }
                index -= 1
            }
            return items
        }
    }

    /// `ComparableVersion.parseVersion`, step for step.
    static func parse(_ string: String) -> [Item] {
        let chars = Array(string.lowercased().unicodeScalars)
        let root = Node()
        var list = root
        var isDigit = false
        var start = 0
        func text(_ range: Range<Int>) -> String {
            var s = ""
            s.unicodeScalars.append(contentsOf: chars[range])
            return s
        }
        for (i, c) in chars.enumerated() {
            if c == "." || c == "-" {
                list.children.append(.item(i == start ? .number(.zero) : item(isDigit, text(start..<i))))
                start = i + 1
                if c == "-" { list = list.open() }
            } else if c.value >= 0x30, c.value <= 0x39 {  // ASCII digits only; see docs/versioning.md
                if !isDigit, i > start {
                    // `1.0.0.X1 < 1.0.0-X2`: a qualifier after `.` counts as after `-`.
                    if !list.children.isEmpty { list = list.open() }
                    list.children.append(.item(qualifier(text(start..<i), followedByDigit: true)))
                    start = i
                    list = list.open()
                }
                isDigit = true
            } else {
                if isDigit, i > start {
                    list.children.append(.item(item(true, text(start..<i))))
                    start = i
                    list = list.open()
                }
                isDigit = false
            }
        }
        if chars.count > start {
            if !isDigit, !list.children.isEmpty { list = list.open() }
            list.children.append(.item(item(isDigit, text(start..<chars.count))))
        }
        return root.freeze()
    }

    static func item(_ isDigit: Bool, _ text: String) -> Item {
        isDigit ? .number(PEP440Version.Number(Array(text.utf8))) : qualifier(text, followedByDigit: false)
    }

    static func qualifier(_ text: String, followedByDigit: Bool) -> Item {
        var value = text
        if followedByDigit, value.unicodeScalars.count == 1 {
            switch value {
            case "a": value = "alpha"
            case "b": value = "beta"
            case "m": value = "milestone"
            default: break
            }
        }
        switch value {
        case "ga", "final", "release": value = ""
        case "cr": value = "rc"
        default: break
        }
        return .qualifier(value)
    }
}
