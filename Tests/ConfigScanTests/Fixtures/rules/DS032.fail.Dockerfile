# expect: 3
FROM debian:12
RUN curl -fsSL https://example.com/a.tgz | tar xz
