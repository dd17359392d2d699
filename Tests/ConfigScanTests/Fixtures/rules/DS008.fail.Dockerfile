# expect: 3
FROM alpine:3.19
EXPOSE 70000
