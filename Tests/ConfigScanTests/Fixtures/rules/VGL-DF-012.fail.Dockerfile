# expect: 3 4 5
FROM alpine:3.19
RUN --security=insecure make
VOLUME /var/run/docker.sock
RUN chmod u+s /usr/bin/tool
