import Foundation
import ImageFixtures
import Testing
import TestSupport

/// `vigil query --yaml-input/--yaml-output` through the binary, with gojq (when installed) as the
/// independent oracle for how YAML reads.
@Suite(.enabled(if: SharedData.vigilBinary != nil))
final class QueryYAMLTests {
    let vigil = SharedData.vigilBinary!
    let scratch = ScratchDirectory()

    static let gojq: String? = ["/usr/bin/gojq", "/usr/local/bin/gojq"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Three documents as `kubectl get -o yaml` and Helm write them: labels, quoted booleans and
    /// numbers, resource quantities, multi-line scripts, anchors and merge keys, empty maps.
    static let manifests = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      namespace: shop
      labels: &labels
        app.kubernetes.io/name: web
        app.kubernetes.io/part-of: shop
        tier: frontend
      annotations:
        deployment.kubernetes.io/revision: "3"
        prometheus.io/scrape: "true"
        description: >-
          Serves the storefront;
          scaled by the HPA.
    spec:
      replicas: 3
      revisionHistoryLimit: 10
      selector:
        matchLabels: *labels
      strategy:
        type: RollingUpdate
        rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}
      template:
        metadata:
          labels:
            <<: *labels
            version: v2
        spec:
          securityContext: {runAsNonRoot: true, runAsUser: 10001, fsGroup: 2000}
          containers:
          - name: web
            image: registry.example.com/shop/web:2.4.1@sha256:9b2a1f0c3e4d5b6a7980112233445566778899aabbccddeeff00112233445566
            imagePullPolicy: IfNotPresent
            args: ["--port=8080", "--log-level", "info"]
            ports:
            - {name: http, containerPort: 8080, protocol: TCP}
            env:
            - name: FEATURE_FLAGS
              value: "yes"
            - name: CACHE_TTL
              value: "300"
            - name: EMPTY
              value: ""
            resources:
              requests: {cpu: 250m, memory: 128Mi}
              limits: {cpu: "1", memory: 512Mi}
            readinessProbe:
              httpGet: {path: /healthz, port: http}
              initialDelaySeconds: 5
              periodSeconds: 10
            volumeMounts:
            - {name: config, mountPath: /etc/web, readOnly: true}
          - name: sidecar
            image: busybox:1.36
            command:
            - /bin/sh
            - -c
            - |
              while true; do
                date >> /var/log/tick.log
                sleep 30
              done
          volumes:
          - name: config
            configMap: {name: web-config, defaultMode: 0o644}
          nodeSelector: {}
          tolerations: []
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: web
      namespace: shop
    spec:
      type: ClusterIP
      selector: {app.kubernetes.io/name: web}
      ports:
      - name: http
        port: 80
        targetPort: http
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: web-config
      namespace: shop
    data:
      settings.yaml: |
        cache: on
        ttl: 300
      enabled: "false"
      ratio: "0.75"
      null-looking: "null"
      tilde: "~"
    """

    func write(_ name: String, _ text: String) -> String {
        scratch.write(name, Array(text.utf8))
    }

    func vigilQuery(_ args: [String]) throws -> Run {
        try Run.program(vigil, ["query"] + args)
    }

    @Test func multiDocumentStreamIsOneInputPerDocument() throws {
        let f = write("deploy.yaml", Self.manifests)
        let kinds = try vigilQuery(["--yaml-input", "-r", ".kind", f])
        #expect(kinds.status == 0)
        #expect(kinds.stdout == "Deployment\nService\nConfigMap\n")
        let images = try vigilQuery(["--yaml-input", "-r", ".spec.template.spec.containers[]?.image", f])
        #expect(images.stdout.hasPrefix("registry.example.com/shop/web:2.4.1@sha256:"))
        #expect(images.stdout.hasSuffix("\nbusybox:1.36\n"))
        let slurped = try vigilQuery(["--yaml-input", "-s", "map(.metadata.name)", "-c", f])
        #expect(slurped.stdout == "[\"web\",\"web\",\"web-config\"]\n")
    }

    @Test func anchorsAndMergeKeysResolve() throws {
        let f = write("deploy.yaml", Self.manifests)
        let r = try vigilQuery(["--yaml-input", "-c", "select(.kind == \"Deployment\") | [.spec.selector.matchLabels.tier, .spec.template.metadata.labels]", f])
        #expect(r.stdout == #"["frontend",{"app.kubernetes.io/name":"web","app.kubernetes.io/part-of":"shop","tier":"frontend","version":"v2"}]"# + "\n")
    }

    @Test(.enabled(if: QueryYAMLTests.gojq != nil))
    func readsManifestsAsGojqDoes() throws {
        let f = write("deploy.yaml", Self.manifests)
        let ours = try vigilQuery(["--yaml-input", "-c", "-S", ".", f])
        let theirs = try Run.program(Self.gojq!, ["--yaml-input", "-c", ".", f])  // gojq always sorts keys
        #expect(ours.status == 0 && theirs.status == 0)
        #expect(ours.stdout == theirs.stdout)
    }

    @Test(.enabled(if: QueryYAMLTests.gojq != nil))
    func timestampsAndKeysAsGojq() throws {
        let f = write("ts.yaml", """
        created: 2001-12-14t21:59:43.10-05:00
        day: 2002-12-14
        spaced: 2001-12-14 21:59:43.10
        zoned: 2002-12-14T01:02:03.5+02:00
        quoted: "2002-12-14"
        1: one
        true: yes
        2.5: x
        """)
        let ours = try vigilQuery(["--yaml-input", "-c", "-S", ".", f])
        let theirs = try Run.program(Self.gojq!, ["--yaml-input", "-c", ".", f])  // gojq always sorts keys
        #expect(ours.stdout == theirs.stdout)
    }

    @Test func yamlOutputRoundTripsManifests() throws {
        let f = write("deploy.yaml", Self.manifests)
        let yaml = try vigilQuery(["--yaml-input", "--yaml-output", ".", f])
        #expect(yaml.status == 0)
        #expect(yaml.stdout.components(separatedBy: "\n---\n").count == 3)
        let again = write("again.yaml", yaml.stdout)
        let a = try vigilQuery(["--yaml-input", "-c", ".", f])
        let b = try vigilQuery(["--yaml-input", "-c", ".", again])
        #expect(a.stdout == b.stdout)
        // strings that look like other types stay strings
        #expect(yaml.stdout.contains("value: \"yes\""))
        #expect(yaml.stdout.contains("enabled: \"false\""))
    }

    @Test func updatesWriteYAML() throws {
        let f = write("deploy.yaml", Self.manifests)
        let r = try vigilQuery(["--yaml-input", "--yaml-output",
                                "select(.kind == \"Deployment\") | .spec.replicas = 5 | .spec.template.spec.containers[0].image |= sub(\"2.4.1\"; \"2.5.0\") | {replicas: .spec.replicas, image: .spec.template.spec.containers[0].image}", f])
        #expect(r.stdout == "replicas: 5\nimage: registry.example.com/shop/web:2.5.0@sha256:9b2a1f0c3e4d5b6a7980112233445566778899aabbccddeeff00112233445566\n")
    }

    @Test func aliasBombIsAnError() throws {
        var doc = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...9 {
            doc += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        let f = write("bomb.yaml", doc)
        let r = try vigilQuery(["--yaml-input", "length", f])
        #expect(r.status == 2)
        #expect(r.stderr.contains("expands to too many values through aliases"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func syntaxErrorNamesFileAndLine() throws {
        let f = write("bad.yaml", "a: 1\nb: [1, 2\nc: 3\n")
        let r = try vigilQuery(["--yaml-input", ".", f])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("jq: error (at \(f):0): invalid YAML at line"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}
