// Vigil's default rules (Falco rule YAML), compiled into the binary: a `vigil` copied on its own
// has them (a SwiftPM resource bundle must sit beside the executable, or the lookup traps), and
// loading them costs no bundle lookup (~7% of `vigil watch` start-up). Loaded first by
// `vigil watch` (unless --no-defaults) and by `vigil rules … --with-defaults`; what each rule
// catches: docs/rules.md.
// Warnings and errors about these rules name `<vigil default rules>:LINE`, LINE counted from the
// first line of the YAML below.

extension RuleSet {
    /// Vigil's default rules as Falco rule YAML.
    public static let defaultRulesText = #"""
# Vigil's default rules, loaded before any --rules file (override them with Falco's
# `override:` syntax or redefine a rule to replace it). Names of Vigil's macros and lists start
# with `vigil_` so Falco's own files can be loaded alongside without collisions.

- required_engine_version: 0.26.0

- list: vigil_shell_binaries
  items: [ash, bash, csh, ksh, sh, tcsh, zsh, dash, fish, mksh, busybox]

- list: vigil_shell_paths
  items: [/bin/sh, /bin/bash, /bin/dash, /bin/ash, /bin/ksh, /bin/zsh, /bin/busybox, /usr/bin/sh,
          /usr/bin/bash, /usr/bin/dash, /usr/bin/ksh, /usr/bin/zsh, /usr/local/bin/bash, /usr/local/bin/sh]

- list: vigil_package_managers
  items: [dpkg, dpkg-deb, dpkg-preconfigure, dpkg-reconfigure, dpkg-trigger, apt, apt-get, aptitude,
          unattended-upgrade, unattended-upgr, rpm, rpmkeys, yum, dnf, dnf-3, microdnf, zypper, apk,
          pacman, snap, snapd, pip, pip3, npm, yarn, gem, debconf, update-alternatives, pam-auth-update,
          ucf, mandb, ldconfig, ldconfig.real, systemd-sysusers]

- list: vigil_build_tools
  items: [make, gmake, cmake, ninja, cc, gcc, g++, c++, clang, clang++, ld, collect2, as, ar,
          configure, autoreconf, libtool, go, cargo, rustc, mvn, gradle, javac, bazel, meson, node]

- list: vigil_service_managers
  items: [logrotate, cron, crond, anacron, run-parts, systemd, init, supervisord, s6-supervise,
          runsv, runsvdir, tini, dumb-init, docker-init, catatonit, runc, crun, conmon,
          containerd-shim, containerd-shim-runc-v2, containerd, dockerd, start-stop-daemon]

- list: vigil_container_runtimes
  items: [runc, crun, conmon, containerd-shim, containerd-shim-runc-v2, docker-init, youki, runsc]

- list: vigil_user_mgmt_binaries
  items: [useradd, adduser, usermod, userdel, deluser, groupadd, addgroup, groupmod, groupdel,
          delgroup, passwd, chpasswd, chage, gpasswd, newusers, vipw, vigr, chfn, chsh, pwconv,
          grpconv, pwunconv, grpunconv]

- list: vigil_account_files
  items: [/etc/passwd, /etc/shadow, /etc/group, /etc/gshadow]

- list: vigil_sensitive_files
  items: [/etc/shadow, /etc/gshadow, /etc/shadow-, /etc/gshadow-, /etc/sudoers, /etc/security/opasswd]

- list: vigil_sensitive_directories
  items: [/etc/sudoers.d, /etc/pam.d]

- list: vigil_auth_processes
  items: [sshd, sudo, su, login, unix_chkpwd, systemd-logind, polkitd, passwd, chpasswd, useradd,
          usermod, userdel, groupadd, groupmod, groupdel, chage, gpasswd, vipw, vigr, pwck, grpck,
          cron, crond, atd, sshd-session, sss_cache, nscd]

- list: vigil_history_files
  items: [.bash_history, .ash_history, .zsh_history, .sh_history, .python_history, .lesshst,
          .viminfo, .wget-hsts, .sudo_as_admin_successful, .rnd, .node_repl_history,
          .mysql_history, .psql_history]

# Conditions test their rarest, cheapest field first (a shell's name before "is it an exec in a
# container", a sensitive path before "opened for reading"): the rules engine evaluates `and`
# and `or` left to right and stops early, and these rules meet every open and exec.

- macro: vigil_spawned_process
  condition: (evt.type in (execve, execveat) and evt.rawres >= 0)

- macro: vigil_container
  condition: (container.id != host)

- macro: vigil_open_read
  condition: (evt.type in (open, openat, openat2) and evt.is_open_read = true and evt.rawres >= 0)

- macro: vigil_open_write
  condition: (evt.type in (open, openat, openat2, creat) and evt.is_open_write = true and evt.rawres >= 0)

- macro: vigil_file_created
  condition: >
    ((evt.type in (open, openat, openat2) and evt.arg.flags contains O_CREAT and evt.rawres >= 0)
     or (evt.type = creat and evt.rawres >= 0))

- macro: vigil_renamed
  condition: (evt.type in (rename, renameat, renameat2) and evt.rawres >= 0)

- macro: vigil_under_package_manager
  condition: (proc.name in (vigil_package_managers) or proc.aname in (vigil_package_managers))

- macro: vigil_user_mgmt_tool
  condition: (proc.name in (vigil_user_mgmt_binaries) or proc.aname in (vigil_user_mgmt_binaries))

- rule: Shell Spawned in Container
  desc: >
    A shell started inside a container: interactively (it has a terminal), exec'ed into a running
    container by the runtime (`podman exec ctr sh -c …`: the runtime is the parent and the shell is
    not the container's init), or from a process that is not a shell, a package manager, a user
    management tool, a build tool or a service manager (for example a web server running `sh -c`).
    Nested shells of an already reported shell do not alert again.
  condition: >
    proc.name in (vigil_shell_binaries)
    and vigil_spawned_process and vigil_container
    and not proc.pname in (vigil_shell_binaries)
    and not vigil_under_package_manager
    and not vigil_user_mgmt_tool
    and (proc.tty != 0
         or (proc.pname in (vigil_container_runtimes) and proc.vpid != 1)
         or not (proc.pname in (vigil_build_tools) or proc.pname in (vigil_service_managers)
                 or proc.aname in (vigil_build_tools)))
  output: >
    Shell spawned in a container (user=%user.name container_id=%container.id
    container_name=%container.name image=%container.image shell=%proc.name
    cmdline=%proc.cmdline pid=%proc.pid parent=%proc.pname pcmdline=%proc.pcmdline
    tty=%proc.tty exe=%proc.exepath)
  priority: WARNING
  tags: [vigil, container, shell, mitre_execution, T1059]

- rule: Shellshock Exploit Attempt
  desc: >
    A shell started with an environment variable whose value is a bash function definition under a
    plain name (`X=() { :; }; /bin/id`): how Shellshock (CVE-2014-6271, CVE-2014-7169) is
    exploited, for example through a CGI request header that the web server copies into
    HTTP_USER_AGENT. Bash before the fixes imports such a variable as a function and runs the
    commands after it; patched bash exports its own functions as BASH_FUNC_name%%, which does not
    match. Scripts count as shells when their interpreter is one (proc.exe is the interpreter).
  condition: >
    vigil.proc.env_function exists
    and vigil_spawned_process
    and (proc.name in (vigil_shell_binaries) or proc.exe in (vigil_shell_paths))
  output: >
    Shellshock exploit attempt: a function definition in the environment of a shell
    (variable=%vigil.proc.env_function user=%user.name container_id=%container.id
    container_name=%container.name image=%container.image process=%proc.name exe=%proc.exe
    cmdline=%proc.cmdline pid=%proc.pid parent=%proc.pname pcmdline=%proc.pcmdline)
  priority: CRITICAL
  tags: [vigil, shellshock, CVE-2014-6271, CVE-2014-7169, mitre_initial_access, T1190]

- rule: Sensitive File Read
  desc: >
    A process read /etc/shadow, sudoers, PAM configuration or SSH private keys and is not one of
    the programs that authenticate users or manage packages.
  condition: >
    (fd.name in (vigil_sensitive_files)
     or fd.directory in (vigil_sensitive_directories)
     or fd.name glob '/root/.ssh/id_*'
     or fd.name glob '/home/*/.ssh/id_*'
     or fd.name glob '/etc/ssh/ssh_host_*_key')
    and vigil_open_read
    and not fd.name endswith .pub
    and not proc.name in (vigil_auth_processes)
    and not vigil_user_mgmt_tool
    and not vigil_under_package_manager
  output: >
    Sensitive file opened for reading (file=%fd.name user=%user.name container_id=%container.id
    container_name=%container.name image=%container.image process=%proc.name
    cmdline=%proc.cmdline pid=%proc.pid parent=%proc.pname pcmdline=%proc.pcmdline
    flags=%evt.arg.flags)
  priority: WARNING
  tags: [vigil, filesystem, credentials, mitre_credential_access, T1003]

- rule: User or Group Management
  desc: >
    A user or group management program ran (useradd, adduser, usermod, groupadd, passwd,
    chpasswd, …) outside a package installation. Helpers started by another management
    program (adduser runs useradd) do not alert again.
  condition: >
    proc.name in (vigil_user_mgmt_binaries)
    and vigil_spawned_process
    and not proc.aname in (vigil_user_mgmt_binaries)
    and not vigil_under_package_manager
  output: >
    User or group management program run (program=%proc.name cmdline=%proc.cmdline
    user=%user.name container_id=%container.id container_name=%container.name
    image=%container.image pid=%proc.pid parent=%proc.pname pcmdline=%proc.pcmdline)
  priority: NOTICE
  tags: [vigil, users, persistence, mitre_persistence, T1136]

- rule: Account Database Modified Directly
  desc: >
    /etc/passwd, /etc/shadow, /etc/group or /etc/gshadow was opened for writing or replaced by a
    rename by something other than the account management programs or a package manager.
  condition: >
    ((fd.name in (vigil_account_files) and vigil_open_write)
     or (vigil_renamed and fs.path.target in (vigil_account_files)))
    and not vigil_user_mgmt_tool
    and not vigil_under_package_manager
  output: >
    Account database modified directly (file=%fd.name target=%fs.path.target
    source=%fs.path.source user=%user.name container_id=%container.id
    container_name=%container.name image=%container.image process=%proc.name
    cmdline=%proc.cmdline pid=%proc.pid parent=%proc.pname pcmdline=%proc.pcmdline)
  priority: ERROR
  tags: [vigil, users, persistence, mitre_persistence, T1136]

- rule: File Created Under Root Directory
  desc: >
    A file was created directly under / or /root, or renamed into one of them; attackers drop
    tools and persistence there. Shell history and similar per-user state files are ignored.
  condition: >
    ((fd.directory in (/, /root) and vigil_file_created)
     or (vigil_renamed and (fs.path.target regex '/[^/]+' or fs.path.target regex '/root/[^/]+')))
    and not fd.filename in (vigil_history_files)
    and not basename(fs.path.target) in (vigil_history_files)
    and not proc.name in (vigil_service_managers)
    and not vigil_under_package_manager
  output: >
    File created under / or /root (file=%fd.name target=%fs.path.target user=%user.name
    container_id=%container.id container_name=%container.name image=%container.image
    process=%proc.name cmdline=%proc.cmdline pid=%proc.pid parent=%proc.pname
    pcmdline=%proc.pcmdline)
  priority: WARNING
  tags: [vigil, filesystem, persistence, mitre_persistence]
"""#
}
