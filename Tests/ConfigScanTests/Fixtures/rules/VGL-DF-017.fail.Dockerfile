# expect: 3 4 5
FROM alpine:3.19
RUN curl -k https://example.com/a -o a
RUN wget --no-check-certificate https://example.com/b
ENV NODE_TLS_REJECT_UNAUTHORIZED=0
