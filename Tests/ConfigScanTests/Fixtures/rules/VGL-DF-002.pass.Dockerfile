# passes VGL-DF-002
FROM alpine:3.19
COPY rootfs.tar.gz /tmp/
