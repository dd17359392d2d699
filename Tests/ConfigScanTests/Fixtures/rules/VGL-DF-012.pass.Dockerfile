# passes VGL-DF-012
FROM alpine:3.19
RUN --network=none make
VOLUME /data
