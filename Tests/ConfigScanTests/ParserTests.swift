import Testing
@testable import ConfigScan
