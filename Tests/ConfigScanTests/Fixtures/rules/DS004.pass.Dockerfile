# passes DS004
FROM alpine:3.19
EXPOSE 80 2222 443/tcp
