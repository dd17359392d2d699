# passes DS001
ARG VERSION=3.19
FROM alpine:${VERSION} AS build
FROM registry.example.com:5000/team/app:1.2 AS app
FROM scratch
COPY --from=build /etc/alpine-release /
FROM build
FROM debian@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
