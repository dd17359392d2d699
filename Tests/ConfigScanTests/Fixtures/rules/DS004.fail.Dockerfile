# expect: 3
FROM alpine:3.19
EXPOSE 80 22/tcp
