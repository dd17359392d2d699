# expect: 3
FROM alpine:3.19
RUN cd /tmp && make
