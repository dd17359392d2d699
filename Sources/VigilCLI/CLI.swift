import ContainerImage
import Analyzers

public enum Debug {
    public static func run(_ path: String) throws {
        let loader = ImageLoader(request: InventoryBuilder.request)
        let img = try loader.load(path: path)
        print(img.id, img.repoTags, img.layers.map { "\($0.diffID) \($0.digest ?? "-") \($0.size)" })
        let inv = try InventoryBuilder.build(img.fileSystem)
        print(inv.os as Any)
        for p in inv.packages { print(p.name, p.version, p.sourceName, p.layer as Any) }
    }
}
