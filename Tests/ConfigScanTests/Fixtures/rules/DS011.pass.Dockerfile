# passes DS011
FROM alpine:3.19
COPY a.txt b.txt /dest/
COPY a.txt /dest
