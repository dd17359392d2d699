# passes DS007
FROM alpine:3.19 AS build
ENTRYPOINT ["/bin/a"]
FROM alpine:3.19
ENTRYPOINT ["/bin/b"]
