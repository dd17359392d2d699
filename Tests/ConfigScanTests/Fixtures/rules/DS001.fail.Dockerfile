# expect: 2 4
FROM alpine
FROM alpine:3.19 AS ok
FROM debian:latest
