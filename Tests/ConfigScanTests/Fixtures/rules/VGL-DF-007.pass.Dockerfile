# passes VGL-DF-007
FROM alpine:3.19
RUN apk add --no-cache --virtual .build-deps curl=8.5.0-r0
