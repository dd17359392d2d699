# passes VGL-DF-017
FROM alpine:3.19
RUN curl -fsSL https://example.com/a -o a
ENV NODE_TLS_REJECT_UNAUTHORIZED=1
