import { onScopeDispose, watch } from 'vue';
import { useRunDisplayStore } from '../stores/run-display';
import { useLiveFeed } from './useLiveFeed';

let audio: AudioContext | null = null;

/** Two short beeps (WebAudio, no sound file). Browsers allow audio only after a click: the opt-in toggle is one. */
export function beep(): void {
  audio ??= new AudioContext();
  if (audio.state === 'suspended') void audio.resume();
  const start = audio.currentTime;
  for (const offset of [0, 0.25]) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = 'square';
    oscillator.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.25, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.18);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + 0.2);
  }
}

/** Beeps on every newly raised alarm while the (remembered) sound toggle is on. */
export function useAlarmSound(): void {
  const display = useRunDisplayStore();
  // A toggle remembered as on still needs one click on the page before the browser lets it sound.
  const unlock = () => {
    if (display.alarmSound) void (audio ??= new AudioContext()).resume();
  };
  document.addEventListener('pointerdown', unlock, { once: true });
  onScopeDispose(() => document.removeEventListener('pointerdown', unlock));
  // Turning it on is a click, so the audio context may start now and a test beep says it works.
  watch(
    () => display.alarmSound,
    (on) => on && beep(),
  );
  useLiveFeed().on('alarm:changed', (event) => {
    if (display.alarmSound && event.event === 'raised') beep();
  });
}
