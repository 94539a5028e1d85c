import Charts

/// Built-in example bar chart for the gallery.
extension GalleryExamples {
    /// Train / validation / test accuracy of the best learning rate of each
    /// Part 7 method, with 95% intervals on the test bars and one missing value.
    static func methods() -> BarChart {
        BarChart(
            id: "gallery-bars", title: "Accuracy of each method at its best learning rate",
            categories: ["XGBoost", "ResNet18 from scratch", "Linear probe", "Logistic regression", "Fine-tuning"],
            categoryTitle: "Method", y: Axis("Accuracy", format: .percent),
            series: [
                BarSeries(name: "Train", values: [1.0, 0.912, 0.781, 0.804, 0.998]),
                BarSeries(name: "Validation", values: [0.655, 0.74, 0.745, 0.76, .nan]),
                BarSeries(name: "Test", values: [0.6425, 0.7325, 0.7475, 0.7625, 0.935],
                          lower: [0.596, 0.689, 0.705, 0.721, 0.911], upper: [0.689, 0.776, 0.790, 0.804, 0.959]),
            ],
            valueFormat: .percent(decimals: 1),
            notes: ["Error bars: 95% interval of the test accuracy (Wilson, 400 images). "
                + "Fine-tuning has no validation score in this example (n/a)."])
    }
}
