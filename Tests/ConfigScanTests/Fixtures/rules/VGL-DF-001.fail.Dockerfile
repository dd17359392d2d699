# expect: 3
FROM alpine:3.19
ADD https://example.com/app.tar.gz /tmp/
