# passes DS005
FROM alpine:3.19
ADD https://example.com/x.tar.gz /tmp/
ADD rootfs.tar.xz /
COPY app.py /app/
