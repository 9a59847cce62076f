package profiles_test

import (
	"fmt"

	"github.com/qload/qload/profiles"
)

func ExampleLoad() {
	p, err := profiles.Load("flash-crowd")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: peak %g visitors/s, %s of arrivals, %.0f visitors expected\n",
		p.Name, p.Peak(), p.ArrivalDuration(), p.ArrivalsBy(p.ArrivalDuration()))
	for _, j := range p.Journeys {
		fmt.Printf("  %-14s weight %2g, %d steps\n", j.Name, j.Weight, len(j.Steps))
	}
	// Output:
	// flash-crowd: peak 200 visitors/s, 1m0s of arrivals, 5000 visitors expected
	//   buyer          weight 60, 8 steps
	//   returning      weight 15, 3 steps
	//   browser        weight 15, 3 steps
	//   ajax newcomer  weight  5, 1 steps
	//   hostile        weight  5, 3 steps
}

func ExampleParse() {
	_, err := profiles.Parse("flash-crowd.yaml", []byte(`name: flash-crowd
limits: {duration: 60s, maxRequests: 10000, maxInFlight: 100, maxVisitors: 1000}
waitingRoom: {customerId: ticketania, eventId: sale, queueDomain: ticketania.queue-it.net, outflow: 50, maxWait: 30s}
arrivals:
  - {kind: ramp, duration: 10s, rate: 100}
journeys:
  - name: buyer
    steps:
      - path: /sale/tickets
        expect: pas
`))
	fmt.Println(err)
	// Output:
	// flash-crowd.yaml:5: arrivals[0].from: missing: a ramp stage needs from, to
	// flash-crowd.yaml:5: arrivals[0].to: missing: a ramp stage needs from, to
	// flash-crowd.yaml:5: arrivals[0].rate: a ramp stage has no rate (it takes from, to)
	// flash-crowd.yaml:10: journeys[0].steps[0].expect: unknown outcome class "pas" (queue-redirect, token-accepted, pass, pass-extended, error-redirect, ajax-redirect, throttled, lambda-error, origin-error, transport-error)
}

func ExampleScale() {
	p, _ := profiles.Load("steady")
	if err := profiles.Scale(p, 40); err != nil { // qload run --profile steady --rate 40
		fmt.Println(err)
		return
	}
	out, _ := profiles.Marshal(p)
	q, _ := profiles.Parse("profile.yaml", out)
	fmt.Println(q.Peak(), q.Arrivals[0].Kind, q.Arrivals[0].Duration)
	// Output:
	// 40 hold 1m0s
}
