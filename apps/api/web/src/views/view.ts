/** A page of the dashboard: its element, and what to stop (streams, timers) when another page opens. */
export interface View {
  el: HTMLElement;
  dispose?: () => void;
}

/** Runs `fn` every `ms` while the page is visible; a hidden tab makes no requests. Returns the stop. */
export function whileVisible(fn: () => void, ms: number): () => void {
  const tick = () => {
    if (document.visibilityState === 'visible') fn();
  };
  const timer = window.setInterval(tick, ms);
  document.addEventListener('visibilitychange', tick);
  return () => {
    window.clearInterval(timer);
    document.removeEventListener('visibilitychange', tick);
  };
}
