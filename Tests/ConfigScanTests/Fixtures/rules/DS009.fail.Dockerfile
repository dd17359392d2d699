# expect: 3 5
FROM alpine:3.19
WORKDIR app
ARG D=rel
WORKDIR ${D}/x
