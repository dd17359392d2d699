# expect: 4
FROM alpine:3.19 AS build
RUN echo one
FROM alpine:3.19 AS BUILD
