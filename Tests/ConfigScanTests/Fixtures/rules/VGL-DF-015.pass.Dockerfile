# passes VGL-DF-015
FROM opensuse/leap:15.5
RUN zypper --non-interactive install httpd && zypper clean
RUN zypper in -y vim && zypper cc
