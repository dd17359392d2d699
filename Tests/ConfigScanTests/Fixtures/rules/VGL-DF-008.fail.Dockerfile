# expect: 3 4
FROM alpine:3.19
RUN curl -fsSL https://get.example.com | sh
RUN sh -c "$(wget -qO- https://example.com/install.sh)"
