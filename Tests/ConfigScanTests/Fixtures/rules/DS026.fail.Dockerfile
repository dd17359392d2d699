# expect: 4
FROM alpine:3.19 AS build
HEALTHCHECK CMD ["/bin/check"]
FROM alpine:3.19
