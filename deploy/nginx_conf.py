"""The reverse proxy in front of GenLab's app replicas: an nginx configuration, written by
``deploy/cluster.sh`` (and by the cluster test) into a folder of its own.

Two things Streamlit needs from a proxy:

- **Sticky sessions.** A browser's Streamlit session (its widgets, its own runs' keys) lives in one replica's
  memory, so every request of that browser must reach the same replica. nginx gives each new browser a cookie
  (``genlab_replica``, a random id) and hashes it onto a replica (``hash ... consistent``: a replica added or
  removed moves few browsers). Hashing the client address (``ip_hash``) would send a whole lecture hall behind
  one university NAT to one replica.
- **WebSockets.** The page talks to its server over ``/_stcore/stream``: the proxy passes the ``Upgrade``
  handshake on and keeps idle connections open for a lecture's length.

Each response names the replica that answered in ``X-GenLab-Upstream`` (for the admin's ``curl -I`` and the
test). Run nginx in the foreground (``daemon off``) so ``cluster.sh`` knows its PID.

Usage: ``python deploy/nginx_conf.py --listen 8080 --ports 8601 8602 --prefix build/deploy/nginx``
"""

from __future__ import annotations

import argparse
from pathlib import Path

TEMPLATE = """\
# GenLab: nginx in front of {n} app replicas (written by deploy/nginx_conf.py; edit that file instead)
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    client_max_body_size 200m;  # Streamlit's own upload limit

    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    # a browser's first request gets a random id; its cookie then keeps it on one replica
    map $cookie_genlab_replica $genlab_client {{ "" $request_id; default $cookie_genlab_replica; }}

    upstream genlab {{
        hash $genlab_client consistent;
{servers}
    }}
    server {{
        listen {listen};
        location / {{
            proxy_pass http://genlab;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 86400s;  # an open page's websocket may be idle for a whole lecture
            proxy_send_timeout 86400s;
            proxy_buffering off;
            add_header Set-Cookie "genlab_replica=$genlab_client; Path=/; HttpOnly; SameSite=Lax" always;
            add_header X-GenLab-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def render(listen: str, ports: list[int], prefix: Path, host: str = "127.0.0.1") -> str:
    """The configuration text: nginx on ``listen`` (``8080`` or ``0.0.0.0:80``) in front of the replicas at
    ``host:port`` for each port; its pid, logs and temporary files under ``prefix``."""
    servers = "\n".join(f"        server {host}:{port} max_fails=0;" for port in ports)
    return TEMPLATE.format(n=len(ports), prefix=Path(prefix).resolve(), servers=servers, listen=listen)


def write(listen: str, ports: list[int], prefix: Path) -> Path:
    """Write ``prefix/nginx.conf`` (and the temporary folders nginx expects) and return its path."""
    prefix = Path(prefix).resolve()
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    path = prefix / "nginx.conf"
    path.write_text(render(listen, ports, prefix))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", required=True, help="port (or address:port) browsers connect to")
    parser.add_argument("--ports", type=int, nargs="+", required=True, help="the app replicas' ports")
    parser.add_argument("--prefix", type=Path, required=True, help="folder for the config, pid, logs")
    args = parser.parse_args()
    print(write(args.listen, args.ports, args.prefix))


if __name__ == "__main__":
    main()
