# passes VGL-DF-011
FROM alpine:3.19
RUN chmod 755 /app && chmod -R u+w /data
COPY --chmod=644 a /a
