package wire

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/legevakt/workstation/triage/vitals"
	"github.com/legevakt/workstation/ui-desktop/desk"
)

// Trajectory is a scripted patient for a training monitor: vital signs that
// move linearly from From to To over Over, then hold.
type Trajectory struct {
	Name string
	From map[vitals.Kind]float64
	To   map[vitals.Kind]float64
	Over time.Duration
}

// At returns the values at elapsed time d.
func (t Trajectory) At(d time.Duration) map[vitals.Kind]float64 {
	f := 1.0
	if t.Over > 0 && d < t.Over {
		f = float64(d) / float64(t.Over)
	}
	if d < 0 {
		f = 0
	}
	out := make(map[vitals.Kind]float64, len(t.From))
	for k, a := range t.From {
		b, ok := t.To[k]
		if !ok {
			b = a
		}
		out[k] = a + (b-a)*f
	}
	return out
}

// Stable is an adult with normal values throughout.
func Stable() Trajectory {
	v := map[vitals.Kind]float64{vitals.HR: 76, vitals.SpO2: 98, vitals.RR: 14, vitals.SBP: 128, vitals.DBP: 78, vitals.Temp: 36.8}
	return Trajectory{Name: "stable", From: v, To: v}
}

// Septic is an adult who deteriorates as in early sepsis: SpO2 falls, RR
// and HR rise, blood pressure drops and fever climbs, over the given time
// (minutes in the demo so the deterioration alert is seen).
func Septic(over time.Duration) Trajectory {
	return Trajectory{Name: "septic", Over: over,
		From: map[vitals.Kind]float64{vitals.HR: 92, vitals.SpO2: 96, vitals.RR: 18, vitals.SBP: 118, vitals.DBP: 72, vitals.Temp: 38.1},
		To:   map[vitals.Kind]float64{vitals.HR: 128, vitals.SpO2: 90, vitals.RR: 27, vitals.SBP: 92, vitals.DBP: 55, vitals.Temp: 39.4}}
}

var demoUnits = map[vitals.Kind]vitals.Unit{vitals.HR: vitals.PerMin, vitals.SpO2: vitals.Percent, vitals.RR: vitals.PerMin,
	vitals.SBP: vitals.MmHg, vitals.DBP: vitals.MmHg, vitals.Temp: vitals.Cel}

// DemoMonitors are training monitors that play trajectories at the vital
// sign level (numerics each second, an ECG lead at 250 samples/s). They
// are offered as simulators and only used with --demo; a real or
// pty-simulated monitor comes through the device layer.
type DemoMonitors struct {
	Patients map[string]Trajectory // by monitor id
	Now      func() time.Time
}

var _ desk.Monitors = (*DemoMonitors)(nil)

// List implements desk.Monitors.
func (m *DemoMonitors) List(context.Context) ([]desk.MonitorChoice, error) {
	var out []desk.MonitorChoice
	for _, id := range sortedKeys(m.Patients) {
		out = append(out, desk.MonitorChoice{Kind: desk.MonitorSimulator, ID: id, Location: m.Patients[id].Name, Profile: "demo"})
	}
	return out, nil
}

func sortedKeys(m map[string]Trajectory) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// Open implements desk.Monitors: the monitor starts playing from now.
func (m *DemoMonitors) Open(ctx context.Context, c desk.MonitorChoice) (desk.Feed, error) {
	tr, ok := m.Patients[c.ID]
	if !ok {
		return nil, fmt.Errorf("demo monitor %q: not found", c.ID)
	}
	now := m.Now
	if now == nil {
		now = time.Now
	}
	ctx, cancel := context.WithCancel(ctx)
	f := &demoFeed{id: c.ID, tr: tr, now: now, cancel: cancel,
		obs: make(chan vitals.Observation, 32), waves: make(chan vitals.Wave, 32), status: make(chan desk.DeviceStatus, 4)}
	f.wg.Add(1)
	go f.run(ctx)
	return f, nil
}

type demoFeed struct {
	id     string
	tr     Trajectory
	now    func() time.Time
	cancel context.CancelFunc
	wg     sync.WaitGroup
	obs    chan vitals.Observation
	waves  chan vitals.Wave
	status chan desk.DeviceStatus
	once   sync.Once
}

func (f *demoFeed) Observations() <-chan vitals.Observation { return f.obs }
func (f *demoFeed) Waves() <-chan vitals.Wave               { return f.waves }
func (f *demoFeed) Status() <-chan desk.DeviceStatus        { return f.status }

// Close stops the monitor and waits for its goroutine.
func (f *demoFeed) Close() error {
	f.once.Do(func() {
		f.cancel()
		f.wg.Wait()
	})
	return nil
}

const demoECGRate = 250.0

func (f *demoFeed) run(ctx context.Context) {
	defer f.wg.Done()
	start := f.now()
	send := func(s desk.DeviceStatus) {
		select {
		case f.status <- s:
		case <-ctx.Done():
		}
	}
	send(desk.DeviceStatus{State: desk.StateLive, At: start})
	tick := time.NewTicker(200 * time.Millisecond) // ECG in 200 ms blocks, numerics each second
	defer tick.Stop()
	var n int64 // ECG samples sent
	phase := 0.0
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		now := f.now()
		vals := f.tr.At(now.Sub(start))
		// one 200 ms ECG block at the current heart rate
		block := make([]float64, int(demoECGRate/5))
		period := 60 / vals[vitals.HR]
		for j := range block {
			t := float64(n+int64(j)) / demoECGRate
			phase += 1 / demoECGRate
			if phase >= period {
				phase -= period
			}
			d := phase - period/2
			block[j] = 1.1*math.Exp(-d*d/(2*0.011*0.011)) + 0.15*math.Exp(-(d-0.25)*(d-0.25)/(2*0.04*0.04)) + 0.04*math.Sin(2*math.Pi*0.25*t)
		}
		n += int64(len(block))
		w := vitals.Wave{Kind: vitals.WaveECG, Channel: "II", Rate: demoECGRate, Unit: vitals.MilliVolt, Samples: block,
			Source: f.id, HostTime: now.Add(-200 * time.Millisecond), Quality: vitals.Demo}
		select {
		case f.waves <- w:
		case <-ctx.Done():
			return
		default: // the UI is behind; drop the block rather than block the monitor
		}
		if i%5 != 0 {
			continue
		}
		for _, k := range []vitals.Kind{vitals.HR, vitals.SpO2, vitals.RR, vitals.SBP, vitals.DBP, vitals.Temp} {
			v := vals[k]
			if k == vitals.Temp {
				v = math.Round(v*10) / 10
			} else {
				v = math.Round(v)
			}
			o := vitals.Observation{Kind: k, Value: v, Unit: demoUnits[k], Source: f.id, HostTime: now, Quality: vitals.Demo}
			select {
			case f.obs <- o:
			case <-ctx.Done():
				return
			}
		}
	}
}
