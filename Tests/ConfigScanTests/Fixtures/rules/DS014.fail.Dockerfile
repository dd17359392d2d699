# expect: 4
FROM alpine:3.19
RUN curl -fsSLo /a https://example.com/a
RUN wget -q https://example.com/b
