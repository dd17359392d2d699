/// errno names for `evt.res`.
enum Errno {
    static func name(_ code: Int64) -> String {
        switch code {
        case 1: "EPERM"
        case 2: "ENOENT"
        case 3: "ESRCH"
        case 4: "EINTR"
        case 5: "EIO"
        case 9: "EBADF"
        case 11: "EAGAIN"
        case 12: "ENOMEM"
        case 13: "EACCES"
        case 14: "EFAULT"
        case 16: "EBUSY"
        case 17: "EEXIST"
        case 20: "ENOTDIR"
        case 21: "EISDIR"
        case 22: "EINVAL"
        case 28: "ENOSPC"
        case 30: "EROFS"
        case 38: "ENOSYS"
        case 110: "ETIMEDOUT"
        case 111: "ECONNREFUSED"
        case 115: "EINPROGRESS"
        default: "E\(code)"
        }
    }
}
