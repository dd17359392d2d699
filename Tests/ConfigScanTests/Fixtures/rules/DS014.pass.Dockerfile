# passes DS014
FROM alpine:3.19
RUN curl -fsSLo /a https://example.com/a
RUN curl -fsSLo /b https://example.com/b
