# passes VGL-DF-016
FROM alpine:3.19
RUN wget https://example.com/a.tar.gz && curl http://127.0.0.1:8080/health
RUN echo "deb http://deb.debian.org/debian bookworm main" > /etc/apt/sources.list
