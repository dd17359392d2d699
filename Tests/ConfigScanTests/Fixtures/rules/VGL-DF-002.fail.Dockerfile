# expect: 3
FROM alpine:3.19
ADD rootfs.tar.gz /
