/// A bad command line: the message jq prints before exiting 2.
struct UsageError: Error { var message: String }
