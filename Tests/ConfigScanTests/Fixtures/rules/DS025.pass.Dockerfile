# passes DS025
FROM alpine:3.19
RUN apk add --no-cache curl
RUN --mount=type=cache,target=/var/cache/apk apk add curl
