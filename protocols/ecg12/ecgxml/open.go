package ecgxml

import "github.com/legevakt/workstation/protocols/ecg12"

// Open is the common opening of the XML importers (aecg, muse, sierra):
// it refuses a file over ecg12.MaxFileBytes before parsing anything,
// parses it, checks that the root element is root, and starts the
// recording of format with no device measurements yet. Every refusal is
// ecg12.Corrupt for format.
func Open(format ecg12.Format, data []byte, root string) (*Node, *ecg12.Recording, error) {
	if len(data) > ecg12.MaxFileBytes {
		return nil, nil, ecg12.Corrupt(format, "file of %d bytes, at most %d accepted", len(data), ecg12.MaxFileBytes)
	}
	doc, err := Parse(data)
	if err != nil {
		return nil, nil, ecg12.Corrupt(format, "%v", err)
	}
	if doc.Name != root {
		return nil, nil, ecg12.Corrupt(format, "root element <%s>, want <%s>", doc.Name, root)
	}
	return doc, &ecg12.Recording{Format: format, DeviceMeasurements: ecg12.NoMeasurements()}, nil
}
