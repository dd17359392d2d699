# expect: 3 4
FROM alpine:3.19
RUN chmod 777 /app
COPY --chmod=666 a /a
