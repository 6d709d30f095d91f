/**
 * The alert cue: two short tones made with Web Audio (no sound file to fetch). Browsers only
 * allow audio after a user gesture, so the sign-in click unlocks it; after a reload the
 * dashboard's "Sound" button does.
 */
let context: AudioContext | null = null;
let muted = false;

export function unlockSound(): void {
  try {
    context ??= new AudioContext();
    void context.resume();
  } catch {
    context = null;
  }
}

export function setMuted(value: boolean): void {
  muted = value;
}

export function isMuted(): boolean {
  return muted;
}

export function soundReady(): boolean {
  return context?.state === 'running';
}

export function playAlertCue(): void {
  if (muted || !context || context.state !== 'running') return;
  const start = context.currentTime;
  for (const [offset, freq] of [[0, 880], [0.25, 660]] as const) {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.3, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.2);
    osc.connect(gain).connect(context.destination);
    osc.start(start + offset);
    osc.stop(start + offset + 0.22);
  }
}
