# Sourced by the setup scripts. `build_busybox_rootfs LABEL DIR LOG` makes DIR/rootfs.tar: a
# busybox-static tree (from Debian's .deb, not installed) with its applets as hard links and the
# minimal /etc files a base image has; calls the caller's `unavailable REASON` when it cannot.
build_busybox_rootfs() {
  local label=$1 dir=$2 log=$3
  echo "$label: busybox-static tree"
  rm -rf "$dir"
  mkdir -p "$dir/deb" "$dir/tree"
  (cd "$dir/deb" && apt-get download busybox-static) >>"$log" 2>&1 || unavailable "apt-get download busybox-static failed"
  dpkg-deb -x "$dir"/deb/busybox-static_*.deb "$dir/deb/x" >>"$log" 2>&1 || unavailable "could not unpack busybox-static"
  local t="$dir/tree" applet
  mkdir -p "$t/bin" "$t/etc" "$t/root" "$t/tmp" "$t/home" "$t/var/spool/mail" "$t/usr/sbin" "$t/usr/local/bin"
  chmod 1777 "$t/tmp"
  chmod 700 "$t/root"
  cp "$dir/deb/x/bin/busybox" "$t/bin/busybox"
  for applet in $("$t/bin/busybox" --list); do
    [[ "$applet" == busybox ]] || ln "$t/bin/busybox" "$t/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$t/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$t/etc/group"
  tar --numeric-owner -C "$t" -cf "$dir/rootfs.tar.partial" . >>"$log" 2>&1 || unavailable "could not pack the busybox tree"
  mv "$dir/rootfs.tar.partial" "$dir/rootfs.tar"
  rm -rf "$t" "$dir/deb"
}
