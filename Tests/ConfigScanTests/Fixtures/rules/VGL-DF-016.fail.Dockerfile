# expect: 3 4
FROM alpine:3.19
RUN wget http://example.com/a.tar.gz
ADD http://example.com/b.tar.gz /tmp/
