# passes DS002
FROM alpine:3.19 AS build
USER 0
RUN echo build
FROM build
USER 1000:1000
