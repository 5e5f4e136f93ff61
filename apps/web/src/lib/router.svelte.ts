/** The product's pages, in navigation order. */
export const PAGES = [
  { path: "/explore", title: "Explore" },
  { path: "/dashboards", title: "Dashboards" },
  { path: "/alerts", title: "Alerts" },
  { path: "/silences", title: "Silences" },
  { path: "/targets", title: "Targets" },
  { path: "/status", title: "Status" },
] as const;

export type PagePath = (typeof PAGES)[number]["path"];

/** History-API routing: the Worker serves index.html for every non-API path, so deep links work. */
class Router {
  path = $state(normalize(location.pathname));

  constructor() {
    addEventListener("popstate", () => (this.path = normalize(location.pathname)));
  }

  go(path: string): void {
    if (path === this.path) return;
    history.pushState(null, "", path);
    this.path = normalize(path);
  }
}

function normalize(path: string): string {
  return path === "/" || path === "" ? "/explore" : path.replace(/\/+$/, "");
}

export const router = new Router();
