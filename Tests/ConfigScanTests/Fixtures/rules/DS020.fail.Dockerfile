# expect: 3
FROM opensuse/leap:15.5
RUN zypper -n install httpd
