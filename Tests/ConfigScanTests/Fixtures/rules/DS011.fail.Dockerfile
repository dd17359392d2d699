# expect: 3
FROM alpine:3.19
COPY a.txt b.txt /dest
