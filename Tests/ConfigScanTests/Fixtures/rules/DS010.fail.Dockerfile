# expect: 3
FROM alpine:3.19
RUN sudo apk add --no-cache curl
