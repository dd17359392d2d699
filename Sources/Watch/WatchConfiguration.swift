import RuleEngine

/// Everything a `vigil watch` session needs, without its command-line spelling: where events come
/// from, which rules, where alerts go, how they are throttled, whether rules' actions run.
public struct WatchConfiguration {
    /// Where events come from.
    public enum Source {
        /// A recorded event stream (JSON lines; `-` is standard input).
        case replay(path: String)
        /// The live eBPF sensor.
        case live(Live)
    }

    /// The live sensor's settings.
    public struct Live {
        /// Watch host processes too, not only containers.
        public var includeHost = false
        /// Also write the event stream here.
        public var recordPath: String?
        /// Print statistics every this many seconds (nil: never).
        public var statsInterval: Double?
        /// Send every read-only open to user space, not only those of paths a rule can match.
        public var allOpens = false
        /// The compiled sensor object; nil: `$VIGIL_BPF_OBJECT`, else `vigil.bpf.o` beside the executable.
        public var objectPath: String?

        /// Containers only, no recording, no statistics, the kernel open filter, the default object.
        public init() {}
    }

    /// The webhook output's settings.
    public struct Webhook {
        /// The receiver (http://).
        public var url: String
        /// The on-disk spool; nil: `<cache>/spool/webhook-<hash of the URL>`.
        public var spoolDirectory: String?
        /// Most unsent alert data the spool holds.
        public var spoolBytes: Int
        /// How long to keep sending at exit.
        public var graceSeconds: Double
        /// Sent as `Authorization: Bearer` (`vigil server` needs one); nil: no header.
        public var bearerToken: String?
        /// Alerts per request (1: one JSON alert per POST; more: NDJSON batches, `--server`).
        public var batchLines = 1

        /// A webhook to `url` spooled in `spoolDirectory` (nil: the per-URL default).
        public init(url: String, spoolDirectory: String?, spoolBytes: Int, graceSeconds: Double) {
            self.url = url
            self.spoolDirectory = spoolDirectory
            self.spoolBytes = spoolBytes
            self.graceSeconds = graceSeconds
        }
    }

    /// Where events come from.
    public var source: Source
    /// Rules files loaded after the defaults, in order.
    public var rulesFiles: [String] = []
    /// Load Vigil's default rules first.
    public var includeDefaults = true
    /// Text lines or Falco JSON.
    public var alertFormat: AlertFormat = .text
    /// Append alerts to this file instead of standard output.
    public var outputPath: String?
    /// Also POST alerts to a webhook.
    public var webhook: Webhook?
    /// Also send alerts to syslog at this address (`unix:/PATH`, `udp:HOST:PORT`).
    public var syslogAddress: String?
    /// Alerts per second allowed per rule (0 = unlimited).
    public var rateLimit: Double = 10
    /// Alerts allowed per rule in a burst before rate limiting.
    public var burst: Double = 50
    /// Suppress an alert identical to one raised within this many seconds (0 = off).
    public var dedupWindowSeconds: Double = 60
    /// Carry out rules' actions.
    public var enableActions = false
    /// Append the actions' audit lines here; nil: standard error.
    public var actionsLog: String?
    /// Report where time goes.
    public var profile = false
    /// Root of the cache (the default webhook spool lives under it).
    public var cacheDirectory: String

    /// Defaults (the default rules, text alerts on standard output, `vigil watch`'s throttle) for `source`.
    public init(source: Source, cacheDirectory: String) {
        self.source = source
        self.cacheDirectory = cacheDirectory
    }
}
