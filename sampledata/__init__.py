"""The sample data generator (sampledata.generator.generate), apart from the apps it writes:
the management command generate_sample_data is its only caller in the product."""
